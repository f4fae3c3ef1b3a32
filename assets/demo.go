package assets

import "embed"

// demo holds the cover images of the demo courses, one PNG per course
// named after its slug, drawn for Aula (flat shapes: an umbrella sheltering
// people, and those still outside it).
//
//go:embed demo
var demo embed.FS

// Demo holds the demo courses' images as "<slug>.png", for courses.SeedDemo.
var Demo = mustSub(demo, "demo")
