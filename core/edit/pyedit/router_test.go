package pyedit

import "testing"

const mainWithRouters = mainImports + mainLifespan + mainApp + `
app.include_router(items.router, prefix="/items", tags=["items"])
app.include_router(
    users.router,
    prefix="/users",
)
` + mainRoutes

func TestAddRouter(t *testing.T) {
	tests := []struct {
		editCase
		app    string
		router string
	}{
		{
			editCase: editCase{
				name: "after FastAPI assignment",
				src:  mainPy,
				want: mainImports + mainLifespan + mainApp + "\napp.include_router(auth_router)\n" + mainRoutes,
			},
			app:    "app",
			router: "auth_router",
		},
		{
			editCase: editCase{
				name: "after last include_router",
				src:  mainWithRouters,
				want: mainImports + mainLifespan + mainApp + `
app.include_router(items.router, prefix="/items", tags=["items"])
app.include_router(
    users.router,
    prefix="/users",
)
app.include_router(auth_router)
` + mainRoutes,
			},
			app:    "app",
			router: "auth_router",
		},
		{
			editCase: editCase{
				name: "same router with other whitespace",
				src:  mainWithRouters,
				want: mainWithRouters,
			},
			app:    "app",
			router: `items.router,prefix = "/items",  tags=[ "items" ]`,
		},
		{
			editCase: editCase{
				name: "router already included with prefix",
				src:  mainWithRouters,
				want: mainWithRouters,
			},
			app:    "app",
			router: "users . router",
		},
		{
			editCase: editCase{
				name: "router already included without prefix",
				src:  mainWithRouters,
				want: mainWithRouters,
			},
			app:    "app",
			router: `items.router, prefix="/v2/items"`,
		},
		{
			editCase: editCase{
				name: "keyword arguments",
				src:  mainPy,
				want: mainImports + mainLifespan + mainApp + "\napp.include_router(auth_router, prefix=\"/auth\", tags=[\"auth\"])\n" + mainRoutes,
			},
			app:    "app",
			router: `auth_router, prefix="/auth", tags=["auth"]`,
		},
		{
			editCase: editCase{
				name: "annotated assignment",
				src:  "from fastapi import FastAPI\n\napp: FastAPI = FastAPI()\n",
				want: "from fastapi import FastAPI\n\napp: FastAPI = FastAPI()\n\napp.include_router(auth_router)\n",
			},
			app:    "app",
			router: "auth_router",
		},
		{
			editCase: editCase{
				name: "module attribute callee and other name",
				src:  "import fastapi\n\napi = fastapi.FastAPI(title=\"x\")  # public API\n\n\n@api.get(\"/\")\ndef root():\n    return {}\n",
				want: "import fastapi\n\napi = fastapi.FastAPI(title=\"x\")  # public API\n\napi.include_router(auth_router)\n\n\n@api.get(\"/\")\ndef root():\n    return {}\n",
			},
			app:    "api",
			router: "auth_router",
		},
		{
			editCase: editCase{
				name: "assignment at end without newline",
				src:  "app = FastAPI()",
				want: "app = FastAPI()\n\napp.include_router(auth_router)\n",
			},
			app:    "app",
			router: "auth_router",
		},
		{
			editCase: editCase{
				name: "other app's routers do not count",
				src:  "app = FastAPI()\nadmin = FastAPI()\nadmin.include_router(auth_router)\n",
				want: "app = FastAPI()\n\napp.include_router(auth_router)\nadmin = FastAPI()\nadmin.include_router(auth_router)\n",
			},
			app:    "app",
			router: "auth_router",
		},
		{
			editCase: editCase{
				name: "call inside function does not count",
				src:  "app = FastAPI()\n\n\ndef setup():\n    app.include_router(auth_router)\n",
				want: "app = FastAPI()\n\napp.include_router(auth_router)\n\n\ndef setup():\n    app.include_router(auth_router)\n",
			},
			app:    "app",
			router: "auth_router",
		},
		{
			editCase: editCase{
				name: "CRLF",
				src:  crlf(mainPy),
				want: crlf(mainImports + mainLifespan + mainApp + "\napp.include_router(auth_router)\n" + mainRoutes),
			},
			app:    "app",
			router: "auth_router",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runEdit(t, func(src []byte) ([]byte, error) { return AddRouter(src, tt.app, tt.router) }, tt.editCase)
		})
	}
}

func TestAddRouterErrors(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		app    string
		router string
		want   string
	}{
		{
			name:   "no FastAPI assignment",
			src:    "from app.factory import create_app\n\napp = create_app()\n",
			app:    "app",
			router: "auth_router",
			want:   "no module-level assignment app = FastAPI(...) found, which is where auth_router is registered; create the app at module level as app = FastAPI(...)",
		},
		{
			name:   "assignment inside function",
			src:    "def create_app():\n    app = FastAPI()\n    return app\n",
			app:    "app",
			router: "auth_router",
			want:   "no module-level assignment app = FastAPI(...) found, which is where auth_router is registered; create the app at module level as app = FastAPI(...)",
		},
		{
			name:   "invalid app name",
			src:    mainPy,
			app:    "my-app",
			router: "auth_router",
			want:   `invalid application variable "my-app": pass the name of the module-level variable that is the FastAPI application, such as "app"`,
		},
		{
			name:   "empty router",
			src:    mainPy,
			app:    "app",
			router: " ",
			want:   `empty router: pass the router expression, such as "auth_router"`,
		},
		{
			name:   "router breaks out of the call",
			src:    mainPy,
			app:    "app",
			router: "x) + foo(y",
			want:   `invalid router "x) + foo(y": app.include_router(x) + foo(y) is not a single include_router call; pass only the argument list, such as "auth_router"`,
		},
		{
			name:   "router with syntax error",
			src:    mainPy,
			app:    "app",
			router: "auth_router,,",
			want:   `invalid router "auth_router,,": line 1, column 32: invalid Python syntax near ","`,
		},
		{
			name:   "invalid source",
			src:    "app = FastAPI(\n",
			app:    "app",
			router: "auth_router",
			want:   `the file has invalid syntax, fix it first: line 1, column 1: invalid Python syntax near "app = FastAPI("`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runEditError(t, func(src []byte) ([]byte, error) { return AddRouter(src, tt.app, tt.router) }, tt.src, tt.want)
		})
	}
}
