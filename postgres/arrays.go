package postgres

import "strconv"

// Int64Array is ids as a PostgreSQL array literal ({1,2,3}), the text a
// prepared statement takes for a bigint[] argument ($1::bigint[]) without
// a driver type for arrays.
func Int64Array(ids []int64) string {
	b := make([]byte, 0, 2+8*len(ids))
	b = append(b, '{')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, '}'))
}
