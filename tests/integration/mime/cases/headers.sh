# header changes: the message's Content-Transfer-Encoding removed where it
# was, folded headers kept; 8-bit bytes in headers only change nothing;
# EightBitMode=s converts a MIME message as well; the -v transcript
sink -8
printf 'Subject: hdr\nX-A: 1\nContent-Transfer-Encoding: 8BIT\nMIME-Version: 1.0\nContent-Type: text/plain;\n charset="utf-8"\nX-B: 2\n\ncaf\xc3\xa9 and more text here\n' | send
printf 'Subject: caf\xc3\xa9\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\ncafe\n' | send
printf 'Subject: strict\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\ncaf\xc3\xa9\n' | send -O EightBitMode=s
printf 'Subject: verbose\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\ncaf\xc3\xa9 and more text here\n' | send -v
