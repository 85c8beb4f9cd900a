# -B7BIT clears the eighth bit of every byte of the body as it is read:
# nothing is left to convert
sink -8
printf 'Subject: 7bit\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\ncaf\xc3\xa9\n' | send -B7BIT
