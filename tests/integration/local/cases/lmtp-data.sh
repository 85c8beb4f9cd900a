# Message data: LF-only lines, bare CRs, empty messages, headers only, duplicates.
lmtp 'LHLO x\nMAIL FROM:<a>\nRCPT TO:<alice>\nDATA\nSubject: b\n\nlf only\n.\nQUIT\n'
lmtp 'MAIL FROM:<s>\r\nRCPT TO:<alice>\r\nDATA\r\nSubject: a\r\n\r\nx\rmid\r\nend\r\r\nbare\nlf\r\n.\r\n'
lmtp 'MAIL FROM:<s>\r\nRCPT TO:<alice>\r\nDATA\r\n.\r\nMAIL FROM:<s2>\r\nRCPT TO:<alice>\r\nDATA\r\nSubject: x\r\n.\r\nMAIL FROM:<s3>\r\nRCPT TO:<alice>\r\nDATA\r\n\r\nbody only\r\n\r\n.\r\nQUIT\r\n'
lmtp 'MAIL FROM:<dup>\r\nRCPT TO:<alice>\r\nRCPT TO:<alice+x>\r\nDATA\r\nSubject: dup\r\n\r\nbody\r\n.\r\nDATA\r\nQUIT\r\n'
lmtp 'MAIL FROM:<h>\r\nRCPT TO:<alice>\r\nDATA\r\nFrom: a\r\nContent-Length: 3\r\ncontent-length: 4\r\nX-Content-Length: 6\r\n\r\nContent-Length: 8\r\n.\r\nQUIT\r\n'
dump
