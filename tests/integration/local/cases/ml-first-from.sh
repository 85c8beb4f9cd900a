# A message that itself begins with a From_ line keeps it, quoted.
printf 'From x@y Mon Jan  1 00:00:00 2024\nSubject: a\n\nbody\n' | run mail.local -f first alice
dump
