# oracle-python.sh: sourced by the capture scripts that run python3-milter
# filters inside sendmail 8.17.1's root.  Sets oracle (the oracle's command)
# and stage (a temporary directory, removed on exit, with this machine's
# python3, Milter package, libmilter and the libraries they need; the
# capture mounts it at /opt/py and /usr/lib/python3.11 beside it).
oracle=${SENDMAIL_ORACLE:-$here/../../../../shared/tools/sendmail-oracle}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/lib"
cp /usr/bin/python3.11 "$stage/python3"
cp -r /usr/lib/python3/dist-packages/Milter "$stage/lib/"
cp -L /usr/lib/python3/dist-packages/milter.cpython-311-x86_64-linux-gnu.so \
	/lib/x86_64-linux-gnu/libmilter.so.1.0.1 /lib/x86_64-linux-gnu/libexpat.so.1 \
	/lib/x86_64-linux-gnu/libz.so.1 "$stage/lib/"
