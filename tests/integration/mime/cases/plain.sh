# a message without MIME headers and with 8-bit text: passed as it is in
# the default EightBitMode (pass8), converted with EightBitMode=m or a
# body declared 8BITMIME (MIME-Version and Content-Type added, the
# charset DefaultCharSet's default "unknown-8bit"); quoted-printable or
# base64 by the share of 8-bit bytes (one in eight: 16 bytes, 15 bytes)
sink -8
printf 'Subject: plain\n\ncaf\xc3\xa9 line\nsecond\n' | send
printf 'Subject: plain m\n\ncaf\xc3\xa9 line\nsecond\n' | send -O EightBitMode=m
printf 'Subject: plain 8bitmime\n\ncaf\xc3\xa9\n' | send -B8BITMIME
printf 'Subject: sixteen\nMIME-Version: 1.0\n\n\xc3\xa9aaaaaaaaaaaaa\n' | send
printf 'Subject: fifteen\nMIME-Version: 1.0\n\n\xc3\xa9aaaaaaaaaaaa\n' | send
printf 'Subject: no newline\nMIME-Version: 1.0\n\n\xc3\xa9aaaaaaaaaaaaa' | send
