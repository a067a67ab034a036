// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lava-md5.c - MD5 (RFC 1321), the digest the fpbench test definition prints beside each part's
 * JSON in a LAVA job log: md5sum is in busybox and in coreutils, where cksum is not in busybox.
 * It detects lines lost or mixed on a serial console; it is not a security measure.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lava.h"

static uint32_t fpb_md5_k[64];

static void fpb_md5_block(uint32_t h[4], const unsigned char *p)
{
	static const unsigned char rot[16] = { 7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23,
					       6, 10, 15, 21 };
	uint32_t m[16], a = h[0], b = h[1], c = h[2], d = h[3];

	for (int i = 0; i < 16; i++)
		m[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
		       (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
	for (int i = 0; i < 64; i++) {
		uint32_t f, t;
		int g, r = rot[(i / 16) * 4 + i % 4];

		if (i < 16) {
			f = (b & c) | (~b & d);
			g = i;
		} else if (i < 32) {
			f = (d & b) | (~d & c);
			g = (5 * i + 1) % 16;
		} else if (i < 48) {
			f = b ^ c ^ d;
			g = (3 * i + 5) % 16;
		} else {
			f = c ^ (b | ~d);
			g = (7 * i) % 16;
		}
		t = f + a + fpb_md5_k[i] + m[g];
		a = d;
		d = c;
		c = b;
		b += t << r | t >> (32 - r);
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
}

void fpb_lava_md5(const void *buf, size_t n, char hex[33])
{
	uint32_t h[4] = { 0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u };
	const unsigned char *p = buf;
	unsigned char tail[128] = { 0 };
	size_t rest = n % 64, tlen = rest < 56 ? 64 : 128;
	uint64_t bits = (uint64_t)n * 8;

	if (!fpb_md5_k[0])	/* the constants are floor(|sin(i + 1)| * 2^32) */
		for (int i = 0; i < 64; i++)
			fpb_md5_k[i] = (uint32_t)(fabs(sin(i + 1.0)) * 4294967296.0);
	for (size_t i = 0; i + 64 <= n; i += 64)
		fpb_md5_block(h, p + i);
	memcpy(tail, p + (n - rest), rest);
	tail[rest] = 0x80;
	for (int i = 0; i < 8; i++)
		tail[tlen - 8 + (size_t)i] = (unsigned char)(bits >> (8 * i));
	fpb_md5_block(h, tail);
	if (tlen == 128)
		fpb_md5_block(h, tail + 64);
	for (int i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", (unsigned)(h[i / 4] >> (8 * (i % 4))) & 0xff);
}

