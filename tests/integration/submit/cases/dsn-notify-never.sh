# -N never and -N delay: a refused recipient is not reported; -oeq says
# nothing; -oee and -oem and -oew
sink -f RCPT
: >"$W/dead.letter"
for o in "-N never" "-N delay" -oeq -oee -oem -oew; do
	echo "== $o"
	printf 'Subject: x\n\nbody line\n' |
		run $SM -odi $o -ODeadLetterDrop="$W/dead.letter" nobody | sed "s|$W|W|"
done
echo "--- dead.letter"
grep -c '^Subject' "$W/dead.letter"
