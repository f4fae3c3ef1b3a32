// Package assessment owns quizzes: their questions, the rules an instructor's
// quiz must follow, the questions an attempt presents, the answers a learner
// submits and how they are graded.
//
// The files question.go, answers.go, grading.go, normalize.go and form.go
// are the pure core: no database, no clock, no web framework, so every rule
// that decides a learner's score can be tested and fuzzed on its own.
// Persistence is built on top of it and calls these functions rather than
// re-implementing any rule:
//
//   - models.go, store.go and store_results.go: quizzes, questions and
//     attempts in PostgreSQL; every query of the package is there, and
//     courses' data (modules, enrolments) is read through courses'
//     functions, inside the caller's transaction where it matters;
//   - authoring.go: who may write quizzes and how their pool changes;
//   - attempt.go: starting (attempt limits under concurrency), saving with
//     sequence numbers (merged by question), submitting once (the saved
//     answers merged with the submit's), deadlines with a grace period;
//   - learner.go: a learner's standing, RequiredQuizzes, the
//     courses.Requirement that makes passing required quizzes part of
//     completing a course, and ModuleQuizzesSQL, the module's quizzes that
//     courses reads with a module for its page;
//   - results.go and results_csv.go: attempts, per-question statistics and
//     the CSV export.
//
// Problems are reported as message keys ("quiz.single_needs_one_correct",
// "answers.index_out_of_range"), never as sentences: the web layer translates
// them into the reader's language (es, pt, en). MessageKeys lists them all.
package assessment
