# A full file system: the write fails, the mailbox is cut back, the error is temporary.
umount /var/mail 2>/dev/null
mount -t tmpfs -o size=64k,mode=3777 tmpfs /var/mail && chgrp mail /var/mail
printf 'Subject: small\n\nx\n' | run mail.local -f small alice
for i in $(seq 1 2000); do echo "line $i xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"; done > /tmp/big
(printf 'Subject: big\n\n'; cat /tmp/big) > /tmp/m2
run mail.local -f full alice < /tmp/m2
run mail.local -b -f full alice < /tmp/m2
run mail.local -f full alice nosuch < /tmp/m2
run mail.local -f full nosuch alice < /tmp/m2
(printf 'LHLO x\r\nMAIL FROM:<s>\r\nRCPT TO:<alice>\r\nRCPT TO:<bob>\r\nDATA\r\n'; sed 's/$/\r/' /tmp/m2; printf '.\r\nQUIT\r\n') > /tmp/l2
mail.local -l < /tmp/l2; echo "rc=$?"
dump
