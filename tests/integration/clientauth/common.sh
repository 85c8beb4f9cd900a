# common.sh: sourced by the clientauth scripts.
# make_ca_dir DIR: a certtool-made CA (ca.pem) and a server certificate
# for mx.peer.test / 127.0.0.2 (srv.pem, srv.key) in DIR.
make_ca_dir() {
	local d=$1
	mkdir -p "$d"
	printf 'cn = "t CA"\nca\ncert_signing_key\nexpiration_days = 2\n' >"$d/ca.tmpl"
	printf 'cn = "mx.peer.test"\ndns_name = "mx.peer.test"\nip_address = "127.0.0.2"\ntls_www_server\ntls_www_client\nsigning_key\nencryption_key\nexpiration_days = 2\n' >"$d/srv.tmpl"
	certtool --generate-privkey --key-type=rsa --outfile "$d/ca.key" 2>/dev/null
	certtool --generate-self-signed --load-privkey "$d/ca.key" --template "$d/ca.tmpl" \
		--outfile "$d/ca.pem" 2>/dev/null
	certtool --generate-privkey --key-type=rsa --outfile "$d/srv.key" 2>/dev/null
	certtool --generate-certificate --load-privkey "$d/srv.key" --load-ca-certificate "$d/ca.pem" \
		--load-ca-privkey "$d/ca.key" --template "$d/srv.tmpl" --outfile "$d/srv.pem" 2>/dev/null
}
