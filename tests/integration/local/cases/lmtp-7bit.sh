# -7: no 8BITMIME in the LHLO reply.
lmtp 'LHLO x\r\nQUIT\r\n' -7
lmtp 'LHLO x\r\nQUIT\r\n' -7 -b -d
