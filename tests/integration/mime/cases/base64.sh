# base64 when more than one byte in eight is 8-bit: line ends become CRLF
# (for text and for any other type), 72 characters a line; a "binary"
# Content-Transfer-Encoding is replaced the same way
sink -8
printf 'Subject: b\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9ab\n' | send
{ printf 'Subject: long\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n'; for i in $(seq 30); do printf 'abc\xc3\xa9 '; done; printf '\n\n\xc3\xa9\xc3\xa9\n'; } | send
printf 'Subject: bin\nMIME-Version: 1.0\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: binary\n\nab\xff\xfe\ncd\n' | send
for n in 52 53 54 55 56; do
	{ printf 'Subject: %s\nMIME-Version: 1.0\n\n' $n; head -c $n /dev/zero | tr '\0' '\351'; printf '\n'; } | send
done
