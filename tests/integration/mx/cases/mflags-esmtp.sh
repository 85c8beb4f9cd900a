# EHLO or HELO: the esmtp mailer (F=a), the same without F=a, and with
# F=2, against a server whose greeting says "ESMTP" and one whose does not
# (smtp-sink -e, which refuses EHLO too)
sed '/^Mesmtp,/s/F=mDFMuXa,/F=mDFMuX,/' /etc/mail/sendmail.cf >"$W/noa.cf"
sed '/^Mesmtp,/s/F=mDFMuXa,/F=mDFMuXa2,/' /etc/mail/sendmail.cf >"$W/two.cf"
sink 127.0.0.3
sink 127.0.0.4 -e
echo "=== F=a, greeting with ESMTP"
send 'u@[127.0.0.3]'
received
echo "=== F=a, greeting without"
send 'u@[127.0.0.4]'
received
echo "=== no F=a, greeting with ESMTP"
send 'u@[127.0.0.3]' -- -C "$W/noa.cf"
received
echo "=== no F=a, greeting without"
send 'u@[127.0.0.4]' -- -C "$W/noa.cf"
received
echo "=== F=a2, greeting with ESMTP"
send 'u@[127.0.0.3]' -- -C "$W/two.cf"
received
echo "=== F=a, EHLO answered without ENHANCEDSTATUSCODES"
sink 127.0.0.2 -E
send 'u@[127.0.0.2]'
received
