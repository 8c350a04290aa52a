/*
 * points_window.h
 *		A planar study-area window (POLYGON or MULTIPOLYGON) for edge
 *		corrections (points_window.c).
 */
#ifndef VIC_POINTS_WINDOW_H
#define VIC_POINTS_WINDOW_H

#include "common/vic.h"

typedef struct VicWindow
{
	int32		srid;
	int32		nrings;
	int32	   *ring_end;		/* end (exclusive) of each ring's vertices */
	int64		npts;
	int64		cap;
	double	   *x;
	double	   *y;
	double		area;			/* shells minus holes */
} VicWindow;

/* read a serialized POLYGON / MULTIPOLYGON geometry; 22023 (0A000 for geography) else */
extern void vic_window_read(Datum d, VicWindow *w);

/* whether (px, py) lies in the window (boundary included); its distance to the boundary */
extern bool vic_window_locate(const VicWindow *w, double px, double py, double *bdist);

#endif							/* VIC_POINTS_WINDOW_H */
