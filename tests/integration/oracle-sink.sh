# oracle-sink.sh: sourced by the capture scripts that run a case in
# sendmail 8.17.1 (../shared/tools/sendmail-oracle) against Postfix's
# smtp-sink.  Arguments: SINK_CACHE [CASE...] as the capture script got
# them, and the directory holding cases/.  Sets oracle (the oracle's
# command), sink (the unpacked Postfix root under SINK_CACHE, the
# directory where the smtp-sink test unpacked it: build/smtp-sink-cache),
# libs (a temporary directory with the libraries smtp-sink links with,
# copied from this machine, removed on exit) and cases (the cases named,
# else every cases/*.sh).
oracle_sink_setup() {
	local cases_dir=$1
	shift
	oracle=${SENDMAIL_ORACLE:-$cases_dir/../../../../shared/tools/sendmail-oracle}
	sink=$(cd "$1" && pwd)/root
	shift
	libs=$(mktemp -d)
	trap 'rm -rf "$libs"' EXIT
	LD_LIBRARY_PATH=$sink/usr/lib/postfix ldd "$sink/usr/sbin/smtp-sink" |
		awk '/=> \// && !/postfix/ {print $3}' | xargs -I{} cp -L {} "$libs/"
	cases=("$@")
	[ ${#cases[@]} -gt 0 ] ||
		mapfile -t cases < <(cd "$cases_dir/cases" && ls ./*.sh | sed 's|^\./||; s|\.sh$||')
}
