# An LMTP session: replies per recipient, dot-unstuffing, CRLF.
lmtp 'LHLO x\r\nMAIL FROM:<s@example.org>\r\nRCPT TO:<alice>\r\nRCPT TO:<nosuch>\r\nRCPT TO:<bob@example.org>\r\nDATA\r\nSubject: a\r\n\r\nbody\r\n..dot\r\n.x\r\n...\r\n.\r\nQUIT\r\n'
dump
