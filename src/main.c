// SPDX-License-Identifier: GPL-2.0-or-later
/* main.c - placeholder until the CLI lands (src/cli.am). */
#include "options.h"

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}
