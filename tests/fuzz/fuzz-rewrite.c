/*
 * fuzz-rewrite: the tokenizer and the rewriting engine on hostile input.
 * The input's first line is a small configuration fragment appended to a
 * fixed base cf (so the fuzzer can invent rules, classes and maps); every
 * following line is given to test mode (-bt) as a command: addresses run
 * through rulesets, /parse, /try, $x, .D, =S...  Host lookups use the
 * hosts file only, so the fuzzer never waits for DNS.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf/cf.h"
#include "cf/readcf.h"
#include "testmode/testmode.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base_cf[] =
	"V10/Berkeley\n"
	"O ServiceSwitchFile=/dev/null/none\n"
	"O HostsFile=/dev/null\n"
	"O OperatorChars=.:%@!^/[]+\n"
	"O BlankSub=.\n"
	"Cwlocalhost example.org\n"
	"CPREDIRECT .\n"
	"Kdequote dequote\n"
	"Karith arith\n"
	"Kmacro macro\n"
	"Kre regex -a@MATCH ^[a-z]+@example\\.org$\n"
	"Mlocal, P=/bin/true, F=lsDFMAw5:/|@qPn9S, S=EnvFromL, R=EnvToL, A=mail.local -l\n"
	"Mesmtp, P=[IPC], F=mDFMuXa, S=EnvFromL, R=EnvToL, E=\\r\\n, L=990, A=TCP $h\n"
	"Scanonify=3\n"
	"R$@\t$@ <@>\n"
	"R$*<$*>$*\t$2\n"
	"R$+@$+\t$: $1<@$2>\n"
	"R$*<@$=w>$*\t$: $1<@$j.>$3\n"
	"R$*<@$+>$*\t$@ $1<@$[$2$]>$3\n"
	"Sfinal=4\n"
	"R$*<@$+>$*\t$@ $1@$2$3\n"
	"Sparse=0\n"
	"R$*<@$=w.>$*\t$#local $: $1\n"
	"R$*<@$+>$*\t$#esmtp $@ $2 $: $1<@$2>$3\n"
	"R$+\t$#local $: $1\n"
	"SEnvFromL\n"
	"R$*\t$: $(dequote $1 $) $(arith + $@ 1 $@ 2 $) $(re $1 $)\n"
	"SEnvToL\n"
	"R$* $| $*\t$: $2 $| $1\n"
	"R$*\t$@ $>final $1\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *devnull = fopen("/dev/null", "w");
	char *text = xmalloc(size + 1);
	char *nl, *line;
	struct cf *cf;
	size_t baselen = sizeof(base_cf) - 1;
	char *cfbuf;
	FILE *in;

	memcpy(text, data, size);
	text[size] = '\0';
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	cfbuf = xmalloc(baselen + strlen(text) + 2);
	memcpy(cfbuf, base_cf, baselen);
	strcpy(cfbuf + baselen, text);
	strcat(cfbuf, "\n");

	cf = cf_new(devnull);
	cf->dns_disabled = true;
	in = fmemopen(cfbuf, strlen(cfbuf), "r");
	if (in != NULL && devnull != NULL) {
		cf_read_stream(cf, in, "fuzz.cf");
		cf_finish(cf, false);
		cf->show_messages = true;
		for (line = nl ? nl + 1 : NULL; line != NULL && *line != '\0';) {
			char *next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			if (!testmode_line(cf, line))
				break;
			line = next;
		}
	}
	if (in)
		fclose(in);
	cf_free(cf);
	free(cfbuf);
	free(text);
	if (devnull)
		fclose(devnull);
	return 0;
}
