# The From_ line of LMTP messages: the MAIL path as given, <> as MAILER-DAEMON.
lmtp 'MAIL FROM:<>\r\nRCPT TO:<alice>\r\nDATA\r\nX: y\r\n\r\n.\r\nMAIL FROM:<a b>\r\nRCPT TO:<alice>\r\nDATA\r\nX: 2\r\n\r\n.\r\nMAIL FROM:<@x:a@b>\r\nRCPT TO:<alice>\r\nDATA\r\nX: 3\r\n\r\n.\r\nMAIL FROM:<a<b>\r\nRCPT TO:<alice>\r\nDATA\r\nX: 4\r\n\r\n.\r\nMAIL FROM:<@x>\r\nMAIL FROM:<@x:>\r\nRCPT TO:<alice>\r\nDATA\r\nX: 5\r\n\r\n.\r\nMAIL FROM:<@x,@y:a@b+c>\r\nRCPT TO:<alice>\r\nDATA\r\nX: 6\r\n\r\n.\r\nQUIT\r\n'
dump
