/* las.h: ASPRS LAS 1.0-1.4 point clouds, point formats 0-10, parsed from and
 * written to a byte buffer (kernels/core/gzfile.h reads and writes files). */
#ifndef GL_LAS_H
#define GL_LAS_H

#include <stddef.h>
#include "gl_types.h"
#include "gzfile.h"

typedef struct gl_las_header {
  int version_major, version_minor;
  int point_format, record_length;
  int file_source_id, global_encoding, creation_day, creation_year, header_size;
  uint32_t offset_to_points, n_vlrs, n_evlrs;
  uint64_t start_waveform, start_evlr, n_points;
  uint64_t points_by_return[15];
  double scale[3], offset[3], max[3], min[3];
  char system_id[33], software[33], guid[37];
} gl_las_header;

/* Columns of decoded points; any pointer may be NULL (not wanted). Arrays
 * have n elements. Coordinates are scaled and offset. scan_angle is in
 * degrees (formats 6-10: 0.006 degree units). Flags are 0/1. */
typedef struct gl_las_points {
  double *x, *y, *z, *gps_time, *scan_angle;
  uint16_t *intensity, *point_source_id, *red, *green, *blue, *nir;
  uint8_t *return_number, *number_of_returns, *classification, *user_data;
  uint8_t *synthetic, *key_point, *withheld, *overlap, *scanner_channel;
  uint8_t *scan_direction, *edge_of_flight_line;
  int32_t *X, *Y, *Z;          /* raw integers */
} gl_las_points;

/* Bytes of a point record of format f without extra bytes, 0 if unknown. */
int gl_las_base_length(int format);
int gl_las_has_gps(int format);
int gl_las_has_rgb(int format);
int gl_las_has_nir(int format);

/* Parses and checks the header of the file in buf[0..len): signature,
 * version 1.0-1.4, a known uncompressed point format, a record length at least
 * the format's, and point data that lies inside the file. GL_EFORMAT with
 * err->msg saying what is wrong. */
int gl_las_parse_header(const unsigned char *buf, size_t len, gl_las_header *h, gl_ioerr *err);

/* A (E)VLR at byte offset off: user id (17 bytes with NUL), record id,
 * description (33), payload offset and length. evlr selects the 60-byte
 * extended header. GL_EFORMAT if it does not fit in the buffer. */
typedef struct gl_las_vlr {
  char user_id[17], description[33];
  int record_id;
  uint64_t data_offset, data_length;
} gl_las_vlr;
int gl_las_vlr_at(const unsigned char *buf, size_t len, uint64_t off, int evlr,
                  gl_las_vlr *v, gl_ioerr *err);

/* Decodes the n points from index `first` (checked against the header and
 * the buffer) into the wanted columns of p. */
int gl_las_read_points(const unsigned char *buf, size_t len, const gl_las_header *h,
                       int64_t first, int64_t n, const gl_las_points *p, gl_ioerr *err);

/* Appends a complete LAS file to out: the header (fields given in h: version,
 * point format, scale, offset, ids, software; n_points, bounds, counts by
 * return, offsets and record length are computed here), no VLRs, and the n
 * points from p (x, y, z required; a NULL column writes zeros). Coordinates
 * that do not fit in int32 after scaling: GL_ERANGE. */
int gl_las_write(gl_las_header *h, int64_t n, const gl_las_points *p, gl_bytes *out, gl_ioerr *err);

#endif
