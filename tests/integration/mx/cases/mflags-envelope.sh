# F= flags of the esmtp mailer that could shape the envelope: h (upper
# case kept in host names) and p (MAIL FROM as a route address) change
# nothing sendmail 8.17.1 sends here; g makes a DSN's sender
# MAILER-DAEMON@$j instead of <> (the refusal from a sink that refuses
# RCPT)
sed '/^Mesmtp,/s/F=mDFMuXa,/F=mDFMuXah,/' /etc/mail/sendmail.cf >"$W/h.cf"
sed '/^Mesmtp,/s/F=mDFMuXa,/F=mDFMuXap,/' /etc/mail/sendmail.cf >"$W/p.cf"
sed '/^Mesmtp,/s/F=mDFMuXa,/F=mDFMuXag,/' /etc/mail/sendmail.cf >"$W/g.cf"
sink 127.0.0.2
sink 127.0.0.3
sink 127.0.0.4 -f RCPT
echo "=== upper case, without F=h"
send 'Bob@Plain.TEST' -- -f 'Sender@MX1.MX.Test'
received
echo "=== upper case, F=h"
send 'Bob@Plain.TEST' -- -f 'Sender@MX1.MX.Test' -C "$W/h.cf"
received
echo "=== F=p"
send 'u@[127.0.0.3]' -- -C "$W/p.cf"
received
echo "=== F=g, a DSN"
send 'u@[127.0.0.4]' -- -f 'sender@[127.0.0.3]' -C "$W/g.cf"
received
