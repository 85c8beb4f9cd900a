# multipart bodies: each part converted on its own (headers of 7-bit
# parts, preamble and epilogue untouched), nested multiparts and
# message/rfc822 parts followed, a missing final boundary added; the
# part's Content-Transfer-Encoding removed wherever it was, the new one
# and X-MIME-Autoconverted after the part's other headers
sink -8
printf 'Subject: mp\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="XX"\n\npreamble\n--XX\nContent-Type: text/plain; charset=utf-8\n\ncaf\xc3\xa9\n--XX\nContent-Type: text/plain\n\nplain ascii\n--XX\nContent-Type: message/rfc822\n\nSubject: inner\nMIME-Version: 1.0\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\nd\xe9j\xe0 vu\n--XX--\nepilogue\n' | send
printf 'Subject: nested\nMIME-Version: 1.0\nContent-Type: multipart/mixed;\n\tboundary="outer"\n\n--outer\nContent-Type: multipart/alternative; boundary=inner\n\n--inner\nContent-Transfer-Encoding: 8bit\nContent-Type: text/plain; charset=iso-8859-1\nContent-Disposition: inline\n\nd\xe9j\xe0 vu is a long enough line to stay quoted printable here\n--inner\nContent-Type: text/html\n\n<p>ok</p>\n--inner--\n--outer\nContent-Type: application/octet-stream\n\n\xff\xfe\xfd\n--outer--\n' | send
printf 'Subject: unterminated\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nx\xe9 some text that goes on and on and on\n' | send
printf 'Subject: unterminated 7bit\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nx some text that goes on and on and on\n--b\n\ny\xe9 some text that goes on and on and on\n\n--b\n\nlast\n' | send
printf 'Subject: bare parts\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nx\xe9 some text that goes on and on and on\n--b\nContent-Type: message/rfc822\n\nSubject: inner without MIME\n\ny\xe9 some text that goes on and on and on\n--b--\n' | send
