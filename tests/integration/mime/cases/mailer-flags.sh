# the esmtp mailer with F=7: 8-bit messages are converted even for a
# server with 8BITMIME, and for one without it every header (the
# message's and the parts') loses its eighth bit; with F=8 nothing is
# converted.  (sendmail 8.17.1 crashes with F=7 on a message it does not
# convert: no case here, see sm-mta(8))
sed 's/^\(Mesmtp,.*F=mDFMuXa\),/\17,/' /etc/mail/sendmail.cf >"$W/f7.cf"
sed 's/^\(Mesmtp,.*F=mDFMuXa\),/\18,/' /etc/mail/sendmail.cf >"$W/f8.cf"
sink -8
printf 'Subject: caf\xc3\xa9\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\ncaf\xc3\xa9 and more text here\n' | send -C "$W/f7.cf"
printf 'Subject: caf\xc3\xa9\n\ncaf\xc3\xa9\n' | send -C "$W/f7.cf" -O EightBitMode=m
printf 'Subject: mp\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\npre\xe9\n--b\nContent-Type: text/plain; name="caf\xc3\xa9"\n\nx\xe9 some text that goes on and on and on\n--b\nX-Part: \xe9\n\nascii\n--b--\n' | send -C "$W/f7.cf"
printf 'Subject: x\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\ncaf\xc3\xa9 and more text here\n' | send -C "$W/f8.cf"
nosink
sink
printf 'Subject: caf\xc3\xa9\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\ncaf\xc3\xa9 and more text here\n' | send -C "$W/f7.cf" -B8BITMIME
