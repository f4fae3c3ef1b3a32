package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/accounts"
)

// routes lists every route of Aula, with who may call it.
func (s *server) routes(app *fiber.App) {
	admin := s.requireRole(accounts.RoleAdmin)
	signedIn := s.requireUser

	app.Use(s.logRequests, s.recoverPanics, s.securityHeaders)
	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)
	app.Get("/static/*", s.static.serve)
	app.Use(s.authenticate, s.checkCSRF)

	// Pages for everyone.
	app.Get("/", s.home)
	app.Get("/signin", s.showSignIn)
	app.Post("/signin", s.signIn)
	app.Post("/signout", signedIn, s.signOut)
	app.Post("/language", s.setLanguage)
	app.Get("/password/:token", s.showPasswordForm)
	app.Post("/password/:token", s.setPassword)

	// Administration pages.
	ad := app.Group("/admin", admin)
	ad.Get("/", s.adminIndex)
	ad.Get("/institutions", s.listInstitutionsPage)
	ad.Get("/institutions/new", s.newInstitutionPage)
	ad.Post("/institutions", s.createInstitutionPage)
	ad.Get("/institutions/:id/edit", s.editInstitutionPage)
	ad.Post("/institutions/:id", s.updateInstitutionPage)
	ad.Get("/users", s.listUsersPage)
	ad.Get("/users/new", s.newUserPage)
	ad.Post("/users", s.createUserPage)
	ad.Get("/users/:id/edit", s.editUserPage)
	ad.Post("/users/:id", s.updateUserPage)

	// JSON API v1 (../shared/API.md).
	api := app.Group("/api/v1")
	api.Post("/tokens", s.createToken)
	api.Delete("/tokens/current", signedIn, s.revokeToken)
	api.Get("/me", signedIn, s.me)
	api.Get("/institutions", signedIn, s.listInstitutions)
	api.Post("/institutions", admin, s.createInstitution)
	api.Get("/institutions/:id", signedIn, s.showInstitution)
	api.Patch("/institutions/:id", admin, s.updateInstitution)
	api.Get("/users", admin, s.listUsers)
	api.Post("/users", admin, s.createUser)
	api.Get("/users/:id", admin, s.showUser)
	api.Patch("/users/:id", admin, s.updateUser)

	// ---- Courses: catalog, authoring, modules, files (issue 3) ----
	teach := s.requireRole(accounts.RoleInstructor, accounts.RoleAdmin)
	app.Get("/courses", s.catalogPage)
	app.Get("/courses/:ref", s.showCoursePage)
	app.Get("/courses/:ref/modules/:mid", signedIn, s.showModulePage)
	app.Get("/courses/:ref/files/:aid/:name?", s.serveAsset)
	app.Get("/manage/courses", teach, s.teachingPage)
	app.Get("/manage/courses/new", teach, s.newCoursePage)
	app.Post("/manage/courses", teach, s.createCoursePage)
	app.Get("/manage/courses/:id", teach, s.manageCoursePage)
	app.Get("/manage/courses/:id/edit", teach, s.editCoursePage)
	app.Post("/manage/courses/:id", teach, s.updateCoursePage)
	app.Post("/manage/courses/:id/publish", teach, s.publishCoursePage)
	app.Post("/manage/courses/:id/archive", teach, s.archiveCoursePage)
	app.Get("/manage/courses/:id/modules/new", teach, s.newModulePage)
	app.Post("/manage/courses/:id/modules", teach, s.createModulePage)
	app.Get("/manage/courses/:id/modules/:mid/edit", teach, s.editModulePage)
	app.Post("/manage/courses/:id/modules/:mid", teach, s.updateModulePage)
	app.Post("/manage/courses/:id/modules/:mid/move", teach, s.moveModulePage)
	app.Post("/manage/courses/:id/modules/:mid/archive", teach, s.archiveModulePage)
	app.Post("/manage/courses/:id/modules/:mid/restore", teach, s.restoreModulePage)
	app.Post("/manage/courses/:id/modules/:mid/delete", teach, s.deleteModulePage)
	app.Post("/manage/courses/:id/files", teach, s.uploadAssetPage) // body up to UploadMaxBytes (app.go)
	app.Post("/manage/courses/:id/files/:aid/delete", teach, s.deleteAssetPage)
	api.Get("/courses", s.listCourses)
	api.Post("/courses", teach, s.createCourse)
	api.Get("/courses/:id", s.showCourse)
	api.Patch("/courses/:id", teach, s.updateCourse)
	api.Post("/courses/:id/publish", teach, s.publishCourse)
	api.Post("/courses/:id/archive", teach, s.archiveCourse)
	api.Post("/courses/:id/modules", teach, s.createModule)
	api.Get("/courses/:id/modules/:mid", signedIn, s.showModule)
	api.Patch("/courses/:id/modules/:mid", teach, s.updateModule)
	api.Delete("/courses/:id/modules/:mid", teach, s.deleteModule)
	api.Post("/courses/:id/modules/:mid/archive", teach, s.archiveModule)
	api.Post("/courses/:id/modules/:mid/restore", teach, s.restoreModule)
	api.Get("/courses/:id/assets", teach, s.listAssets)
	api.Post("/courses/:id/assets", teach, s.uploadAsset) // multipart, body up to UploadMaxBytes (app.go)
	api.Delete("/courses/:id/assets/:aid", teach, s.deleteAsset)

	// ---- Enrolment and progress (issue 4) ----
	app.Get("/my/courses", signedIn, s.myCoursesPage)
	app.Get("/enrol/:id", signedIn, s.showEnrol)
	app.Post("/enrol/:id", signedIn, s.enrolPage)
	app.Get("/enrolments/:id/withdraw", signedIn, s.showWithdraw)
	app.Post("/enrolments/:id/withdraw", signedIn, s.withdrawPage)
	app.Post("/enrolments/:id/modules/:mid/complete", signedIn, s.completeModulePage)
	app.Get("/manage/courses/:id/enrolments", signedIn, s.rosterPage)
	app.Post("/manage/courses/:id/enrolments", admin, s.enrolByEmailPage)
	app.Post("/manage/courses/:id/enrolments/cohort", admin, s.enrolCohortPage)
	app.Post("/manage/courses/:id/enrolments/bulk", admin, s.bulkEnrolPage)
	api.Get("/me/enrolments", signedIn, s.myEnrolments)
	api.Post("/courses/:id/enrolments", signedIn, s.enrolSelf)
	api.Get("/courses/:id/enrolments", signedIn, s.listEnrolments)
	api.Post("/courses/:id/enrolments/bulk", admin, s.bulkEnrol)
	api.Post("/courses/:id/enrolments/manual", admin, s.enrolOther)
	api.Post("/courses/:id/enrolments/cohort", admin, s.enrolCohort)
	api.Post("/enrolments/:id/modules/:mid/complete", signedIn, s.completeModule)
	api.Delete("/enrolments/:id", signedIn, s.withdraw)

	// ---- Assessment: quizzes and attempts (issue 5) ----

	// ---- Certificates and verification (issue 6) ----

	app.Use(func(c *fiber.Ctx) error { return errNotFound })
}
