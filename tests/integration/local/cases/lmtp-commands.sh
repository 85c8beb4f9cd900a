# Command parsing and sequencing errors.
lmtp 'HELO x\r\nEHLO x\r\nLHLO x\r\nLHLO y\r\nNOOP\r\nRSET\r\nVRFY alice\r\nVRFY\r\nVRFY \r\nEXPN x\r\nFOO\r\nRCPT TO:<alice>\r\nDATA\r\nMAIL FROM:<>\r\nMAIL FROM:<x>\r\nDATA\r\nRCPT TO:<alice> NOTIFY=NEVER\r\nRCPT TO: <bob>\r\nRCPT TO:bob\r\nRCPT TO:<\r\nRCPT TO\r\nrcpt to:<BOB>\r\nMAIL FROM:<y>\r\nQUIT\r\nNOOP\r\n'
lmtp 'NOOP x\r\nNOOP\r\nnoop\r\nNOOP \r\nRSET x\r\nQUIT x\r\nQUITX\r\nLHLO\r\nLHLOx\r\nDATA x\r\nVRFY x y\r\n\r\n NOOP\r\nNOOP\r\r\nNOOP\n'
lmtp 'MAIL\r\nMAIL FROM\r\nMAIL FROM:\r\nMAIL FROM:a\r\nMAIL FROM: <a>\r\nMAILFROM:<a>\r\nMAIL  FROM:<a>\r\nMAIL FROM :<a>\r\nMAIL FROM:<a>x\r\nMAIL FROM:<a>>\r\nMAIL FROM:<a>\tx\r\nMAIL FROM:<a> x\r\nRCPT TO:bad\r\nMAIL FROM:bad\r\nRSET\r\nRCPT TO:bad\r\nQUIT\r\n'
lmtp 'LHLO \r\nmail from:<> BODY=8BITMIME SIZE=100\r\nrcpt to:<alice>\r\nRSET\r\nDATA\r\nQUIT\r\n'
