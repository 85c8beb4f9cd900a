/*
 * fuzz-stats: arbitrary bytes as a statistics file (stats/stats).  The
 * file may be damaged, cut short or not a statistics file at all (an
 * administrator's sendmail.st): decoding never reads past the bytes, and
 * what decodes encodes back to a slot that decodes to the same counters.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats/stats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stats st, again;
	uint8_t slot[STATS_SLOT_SIZE];

	if (stats_decode(data, size, &st) != 0)
		return 0;
	stats_encode(&st, slot);
	if (stats_decode(slot, sizeof(slot), &again) != 0 || memcmp(&st, &again, sizeof(st)) != 0)
		abort();
	return 0;
}
