# errors before anything is queued
printf 'Subject: x\n\nb\n' | run $SM -odi
printf 'Subject: x\n\nb\n' | run $SM -odi -- 
run $SM -bz
run $SM -bY
queue
