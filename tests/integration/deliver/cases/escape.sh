# ">From " quoting (F=E) of the *file* mailer where the line "From " begins
# at byte 8190 of the df and so straddles the 8 KB reads; "From" without
# its space and a "From " at the very end are the other edges
long=$(printf 'x%.0s' $(seq 8189))
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<filealias@oracle.example.org>\r\n' \
	"$long\\r\\nFrom straddle\\r\\nFromage\\r\\nFrom the end\\r\\n"
qrun
