# a server that announces 8BITMIME gets the 8-bit message unchanged, with
# and without -v
sink
printf 'Subject: mime\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\ncaf\xc3\xa9\n' | send
printf 'Subject: mime\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\ncaf\xc3\xa9\n' | send -v -B8BITMIME
