# A message from the command line: From_ line, Content-Length, blank line at the end.
printf 'Received: from x\nSubject: hi\nTo: alice\n\nline one\n\nline three\n' | run mail.local -f bob@example.org alice
dump
