# The input ends: at once, after the greeting's reply, inside DATA.
lmtp ''
lmtp 'LHLO x\r\n'
lmtp 'MAIL FROM:<a>\r\nRCPT TO:<alice>\r\nDATA\r\nSubject: trunc\r\n\r\nbody\r\n'
lmtp 'MAIL FROM:<a>\r\nRCPT TO:<alice>\r\nDATA\r\nSubject: trunc\r\n\r\nbody\r\n.'
dump
