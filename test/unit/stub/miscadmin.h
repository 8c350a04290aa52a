/*
 * Stand-in for PostgreSQL's miscadmin.h in C unit tests (test/unit): a
 * test program is never cancelled.
 */
#ifndef VIC_UNIT_MISCADMIN_H
#define VIC_UNIT_MISCADMIN_H

#define CHECK_FOR_INTERRUPTS()	((void) 0)

#endif
