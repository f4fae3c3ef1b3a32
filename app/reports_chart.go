package app

import "strconv"

// barChart is a bar chart drawn on the server as inline SVG: readable
// without JavaScript and with no chart library in the browser. The page
// shows the same numbers in a table beside it, for screen readers and for
// copying.
type barChart struct {
	Title         string
	Width, Height int
	Baseline      int // y of the axis
	Bars          []bar
}

// bar is one bar with its value above it and its label below.
type bar struct {
	X, Y, W, H   int
	Value, Label string
	CenterX      int
}

// Chart geometry, in SVG user units (the SVG scales to its box).
const (
	chartWidth   = 720
	chartHeight  = 240
	chartTop     = 24 // room for the tallest bar's value
	chartBottom  = 28 // room for the labels
	chartBarGap  = 8
	chartMinSpan = 1
)

// newBarChart draws one bar per value, scaled to the largest.
func newBarChart(title string, labels []string, values []int, format func(int) string) *barChart {
	ch := &barChart{Title: title, Width: chartWidth, Height: chartHeight, Baseline: chartHeight - chartBottom}
	if len(values) == 0 {
		return ch
	}
	top := chartMinSpan
	for _, v := range values {
		top = max(top, v)
	}
	slot := chartWidth / len(values)
	span := ch.Baseline - chartTop
	for i, v := range values {
		h := v * span / top
		x := i*slot + chartBarGap/2
		ch.Bars = append(ch.Bars, bar{X: x, Y: ch.Baseline - h, W: slot - chartBarGap, H: h,
			Value: format(v), Label: labels[i], CenterX: x + (slot-chartBarGap)/2})
	}
	return ch
}

// completionsChart is the completions of each month.
func completionsChart(p Page, months []figuresView) *barChart {
	labels := make([]string, len(months))
	values := make([]int, len(months))
	for i, m := range months {
		labels[i] = p.T("reports.month_short." + m.Key)
		values[i] = m.Completions
	}
	return newBarChart(p.T("reports.chart.completions"), labels, values, strconv.Itoa)
}
