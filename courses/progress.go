package courses

import (
	"strings"

	"github.com/uptrace/bun"
)

// The modules' part of an enrolment's progress, over the enrolment row e:
// live modules of its course, and those of them it completed.
const (
	modulesDoneSQL = `(SELECT count(*) FROM module_completions AS mc JOIN modules AS m ON m.id = mc.module_id
		WHERE mc.enrolment_id = e.id AND m.course_id = e.course_id AND m.archived_at IS NULL)`
	modulesTotalSQL = `(SELECT count(*) FROM modules AS m WHERE m.course_id = e.course_id AND m.archived_at IS NULL)`
)

// progressColumns returns the select-list expressions that count the
// progress of the enrolment row e, modules and every added Requirement,
// as prefix+"items_done" and prefix+"items_required" (the columns of
// Enrolment.ItemsDone and ItemsRequired; prefix is for an embedded
// Enrolment).
func (s *Service) progressColumns(prefix string) bun.Safe {
	done, total := []string{modulesDoneSQL}, []string{modulesTotalSQL}
	for _, r := range s.requirements {
		done, total = append(done, r.Done), append(total, r.Total)
	}
	return bun.Safe("(" + strings.Join(done, " + ") + ") AS " + prefix + "items_done, (" +
		strings.Join(total, " + ") + ") AS " + prefix + "items_required")
}

// setProgress computes ProgressPercent from the counted items. A completed
// enrolment is 100 % for good: the learner met the course as it was.
func (e *Enrolment) setProgress() {
	if e.Status == EnrolmentCompleted {
		e.ProgressPercent = 100
		return
	}
	e.ProgressPercent = percent(e.ItemsDone, e.ItemsRequired)
}

func percent(done, total int) int {
	if total == 0 {
		return 0
	}
	return done * 100 / total
}
