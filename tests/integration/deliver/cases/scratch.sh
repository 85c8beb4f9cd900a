smtp_odi() {
	( sleep 1.3; printf 'EHLO client.example.org\r\n'; sleep 0.4; printf "$1"; sleep 0.4
	  printf 'DATA\r\n'; sleep 0.4; printf "$2"; printf '.\r\nQUIT\r\n'; sleep 0.4 ) |
		$SM -bs -Am -odi > /tmp/smtp.$$ 2>&1 || cat /tmp/smtp.$$
	sleep 1
}
echo 'O HoldExpensive=True' >> /etc/mail/sendmail.cf
echo A; smtp_odi 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<progalias@oracle.example.org>\r\n' 'Subject: A\r\n\r\nA\r\n'
echo B; printf 'Subject: B\n\nB\n' | $SM -Am -odi -f carol@oracle.example.org alice progalias
echo C; smtp_odi 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<progalias@oracle.example.org>\r\nRCPT TO:<alice@oracle.example.org>\r\n' 'Subject: C\r\n\r\nC\r\n'
echo D; smtp_odi 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<alice@oracle.example.org>\r\nRCPT TO:<prog2@oracle.example.org>\r\n' 'Subject: D\r\n\r\nD\r\n'
