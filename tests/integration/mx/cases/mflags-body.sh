# F= flags of the esmtp mailer that shape the message: b (a blank line at
# the end), 6 (headers stripped to 7 bits); the message as the sink got
# it, from its Subject on (smtp-sink's copy ends with an empty line of its
# own)
sed '/^Mesmtp,/s/F=mDFMuXa,/F=mDFMuXab,/' /etc/mail/sendmail.cf >"$W/b.cf"
sed '/^Mesmtp,/s/F=mDFMuXa,/F=mDFMuXa6,/' /etc/mail/sendmail.cf >"$W/6.cf"
sink 127.0.0.3
show() {
	sleep 0.3
	for f in "$W"/dump/*; do
		echo "--- as received"
		sed -n '/^Subject/,$p' "$f" | tr -d '\r' | cat -A
	done
	rm -f "$W"/dump/*
}
flags() {
	echo "=== $(grep '^Mesmtp,' "$1" | sed 's/.*\(F=[^,]*\).*/\1/')"
}
for cf in /etc/mail/sendmail.cf "$W/b.cf" "$W/6.cf"; do
	flags "$cf"
	printf 'Subject: flags \351t\351\nX-Eight: caf\303\251\n\nbody\n.dot\nlast\n' |
		run "$SM" -Am -odi -C "$cf" 'u@[127.0.0.3]'
	show
done
