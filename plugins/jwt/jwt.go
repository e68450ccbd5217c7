// Package jwt is the built-in plugin for auth "jwt": register, login and me
// endpoints with short-lived JWT access tokens and rotating refresh tokens.
package jwt

import (
	"context"
	"embed"
	"fmt"

	"github.com/fastman-cli/fastman/core/sdk"
)

// Version is the version of the plugin and of the files it generates.
const Version = "0.1.0"

//go:embed all:templates
var templates embed.FS

//go:embed python-deps.txt
var pythonDeps string

// Files the plugin edits in the base project.
const (
	mainModule   = "app/main.py"
	configModule = "app/core/config.py"
)

// Provider returns the JWT auth provider.
func Provider() *sdk.Provider {
	return &sdk.Provider{
		Name:    "jwt",
		Kind:    sdk.KindAuth,
		Version: Version,
		Summary: "Email and password login with JWT access tokens and rotating refresh tokens",
		Options: []sdk.Option{
			sdk.IntOption("access_token_expire_minutes", 30, 1, 24*60,
				"Lifetime of an access token, in minutes."),
			sdk.IntOption("refresh_token_expire_days", 7, 1, 365,
				"Lifetime of a refresh token, in days."),
			sdk.StringOption("password_hash", "argon2",
				"Password hashing algorithm for new hashes; hashes made with the other one still verify and are upgraded at login.",
				"argon2", "bcrypt"),
		},
		Env: []sdk.EnvVar{
			{Name: "SECRET_KEY", Description: "Key for signing tokens; at least 32 bytes.", Secret: true},
			{Name: "ACCESS_TOKEN_EXPIRE_MINUTES", Description: "Lifetime of an access token, in minutes."},
			{Name: "REFRESH_TOKEN_EXPIRE_DAYS", Description: "Lifetime of a refresh token, in days."},
		},
		Dependencies: sdk.ParseRequirements(pythonDeps),
		Plan:         plan,
	}
}

func plan(ctx context.Context, req *sdk.Request) (*sdk.Plan, error) {
	p := &sdk.Plan{}
	for _, module := range []string{mainModule, configModule} {
		if _, ok, err := req.Project.ReadFile(ctx, module); err != nil {
			return nil, err
		} else if !ok {
			p.Errorf("", "Missing "+module,
				"auth \"jwt\" edits %s, which the project block creates; restore it from git, or run `fastman create` for a new project.", module)
		}
	}
	if len(p.Diagnostics) > 0 {
		return p, nil
	}
	access := req.Int("access_token_expire_minutes")
	refresh := req.Int("refresh_token_expire_days")
	data := map[string]any{
		"PasswordHash":             req.String("password_hash"),
		"AccessTokenExpireMinutes": access,
		"RefreshTokenExpireDays":   refresh,
	}
	if err := p.WriteTemplates(templates, "templates", data); err != nil {
		return nil, err
	}
	p.AddImport(mainModule, "from app.features.auth.router import router as auth_router")
	p.AddRouter(mainModule, "app", "auth_router")
	p.AddClassField(configModule, "Settings", "access_token_expire_minutes",
		fmt.Sprintf("access_token_expire_minutes: int = %d", access))
	p.AddClassField(configModule, "Settings", "refresh_token_expire_days",
		fmt.Sprintf("refresh_token_expire_days: int = %d", refresh))
	for _, dep := range sdk.ParseRequirements(pythonDeps) {
		p.AddDependency(dep)
	}
	p.SetSecretEnv("SECRET_KEY")
	p.SetEnv("ACCESS_TOKEN_EXPIRE_MINUTES", fmt.Sprint(access))
	p.SetEnv("REFRESH_TOKEN_EXPIRE_DAYS", fmt.Sprint(refresh))
	return p, nil
}
