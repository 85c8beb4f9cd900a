# lines longer than the SMTP mailer's L=990, as they reach the next hop
# (each line of the sink's copy after the envelope: its length, its first
# and last characters)
sink 127.0.0.3
long=$(printf 'y%.0s' $(seq 2500))
printf 'Subject: long\nX-Long: %s\n\nshort\n%s\n%s\n.%s\n%s\nend\n' "${long:0:1200}" "$long" "${long:0:989}z" "${long:0:1200}" \
	"${long:0:1978}" | run "$SM" -Am -odi u@multi.test
sleep 0.3
for f in "$W"/dump/*; do
	echo "--- as received"
	sed -n '/^X-Long/,$p' "$f" | tr -d '\r' |
		awk '{ print length($0) ": " substr($0, 1, 3) "..." substr($0, length($0) - 2) }'
done
rm -f "$W"/dump/*
