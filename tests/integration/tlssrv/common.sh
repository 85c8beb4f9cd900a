# common.sh: sourced by the tlssrv scripts.
# make_tls_dirs DIR: ../clientauth/common.sh's CA and server certificate
# for mx.peer.test in DIR/tls, and another CA, which did not sign it, in
# DIR/other (ca.pem): a client trusting only that one cannot verify the
# server.
. "$(dirname "${BASH_SOURCE[0]}")/../clientauth/common.sh"
make_tls_dirs() {
	make_ca_dir "$1/tls"
	mkdir -p "$1/other"
	printf 'cn = "other CA"\nca\ncert_signing_key\nexpiration_days = 2\n' >"$1/other/ca.tmpl"
	certtool --generate-privkey --key-type=rsa --outfile "$1/other/ca.key" 2>/dev/null
	certtool --generate-self-signed --load-privkey "$1/other/ca.key" \
		--template "$1/other/ca.tmpl" --outfile "$1/other/ca.pem" 2>/dev/null
}
