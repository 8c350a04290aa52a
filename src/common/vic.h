/*
 * vic.h
 *		The umbrella header of vic's shared core (src/common): PostgreSQL
 *		version shims and what every family includes.  It never includes a
 *		family's header.
 */
#ifndef VIC_H
#define VIC_H

#include "compat.h"
#include "nodes/nodes.h"

#endif							/* VIC_H */
