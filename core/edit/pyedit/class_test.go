package pyedit

import "testing"

const expireField = "access_token_expire_minutes: int = 30"

func TestAddClassField(t *testing.T) {
	tests := []struct {
		editCase
		class       string
		field       string
		declaration string
	}{
		{
			editCase: editCase{
				name: "after last field before model_config",
				src:  configPy,
				want: configHead + "    " + expireField + "\n" + configTail,
			},
			class:       "Settings",
			field:       "access_token_expire_minutes",
			declaration: expireField,
		},
		{
			editCase: editCase{
				name: "annotated field present",
				src:  configPy,
				want: configPy,
			},
			class:       "Settings",
			field:       "database_url",
			declaration: "database_url: str = \"postgresql://localhost/app\"",
		},
		{
			editCase: editCase{
				name: "plain assignment present",
				src:  configPy,
				want: configPy,
			},
			class:       "Settings",
			field:       "model_config",
			declaration: "model_config = SettingsConfigDict(env_file=\".env.local\")",
		},
		{
			editCase: editCase{
				name: "multi-line declaration",
				src:  configPy,
				want: configHead + "    jwt_secret_key: SecretStr = Field(\n        default=...,\n        min_length=32,\n    )\n" + configTail,
			},
			class:       "Settings",
			field:       "jwt_secret_key",
			declaration: "jwt_secret_key: SecretStr = Field(\n    default=...,\n    min_length=32,\n)",
		},
		{
			editCase: editCase{
				name: "after multi-line last field",
				src:  "class Settings(BaseSettings):\n    origins: list[str] = Field(\n        default_factory=list,\n    )  # CORS\n    debug = False\n",
				want: "class Settings(BaseSettings):\n    origins: list[str] = Field(\n        default_factory=list,\n    )  # CORS\n    " + expireField + "\n    debug = False\n",
			},
			class:       "Settings",
			field:       "access_token_expire_minutes",
			declaration: expireField,
		},
		{
			editCase: editCase{
				name: "after field docstring",
				src:  "class Settings(BaseSettings):\n    debug: bool = False\n    \"\"\"Enable debug mode.\"\"\"\n\n    model_config = {}\n",
				want: "class Settings(BaseSettings):\n    debug: bool = False\n    \"\"\"Enable debug mode.\"\"\"\n    " + expireField + "\n\n    model_config = {}\n",
			},
			class:       "Settings",
			field:       "access_token_expire_minutes",
			declaration: expireField,
		},
		{
			editCase: editCase{
				name: "no fields goes first after docstring",
				src:  "class Settings(BaseSettings):\n    \"\"\"Settings.\"\"\"\n\n    # Read .env\n    model_config = SettingsConfigDict(env_file=\".env\")\n",
				want: "class Settings(BaseSettings):\n    \"\"\"Settings.\"\"\"\n\n    " + expireField + "\n    # Read .env\n    model_config = SettingsConfigDict(env_file=\".env\")\n",
			},
			class:       "Settings",
			field:       "access_token_expire_minutes",
			declaration: expireField,
		},
		{
			editCase: editCase{
				name: "comment right after header",
				src:  "class Settings(BaseSettings):\n    # Read .env\n    model_config = SettingsConfigDict(env_file=\".env\")\n",
				want: "class Settings(BaseSettings):\n    " + expireField + "\n    # Read .env\n    model_config = SettingsConfigDict(env_file=\".env\")\n",
			},
			class:       "Settings",
			field:       "access_token_expire_minutes",
			declaration: expireField,
		},
		{
			editCase: editCase{
				name: "docstring only",
				src:  "class Settings(BaseSettings):\n    \"\"\"Settings.\"\"\"\n",
				want: "class Settings(BaseSettings):\n    \"\"\"Settings.\"\"\"\n    " + expireField + "\n",
			},
			class:       "Settings",
			field:       "access_token_expire_minutes",
			declaration: expireField,
		},
		{
			editCase: editCase{
				name: "body of pass",
				src:  "class Settings(BaseSettings):\n    pass\n\n\nsettings = Settings()\n",
				want: "class Settings(BaseSettings):\n    " + expireField + "\n    pass\n\n\nsettings = Settings()\n",
			},
			class:       "Settings",
			field:       "access_token_expire_minutes",
			declaration: expireField,
		},
		{
			editCase: editCase{
				name: "one-line ellipsis body",
				src:  "class Settings(BaseSettings): ...\n\n\nsettings = Settings()\n",
				want: "class Settings(BaseSettings):\n    " + expireField + "\n    ...\n\n\nsettings = Settings()\n",
			},
			class:       "Settings",
			field:       "access_token_expire_minutes",
			declaration: expireField,
		},
		{
			editCase: editCase{
				name: "one-line body with field",
				src:  "class Settings(BaseSettings): debug: bool = False",
				want: "class Settings(BaseSettings):\n    debug: bool = False\n    " + expireField + "\n",
			},
			class:       "Settings",
			field:       "access_token_expire_minutes",
			declaration: expireField,
		},
		{
			editCase: editCase{
				name: "decorated class with tabs",
				src:  "@dataclass\nclass Settings:\n\tdebug: bool = False\n",
				want: "@dataclass\nclass Settings:\n\tdebug: bool = False\n\t" + expireField + "\n",
			},
			class:       "Settings",
			field:       "access_token_expire_minutes",
			declaration: expireField,
		},
		{
			editCase: editCase{
				name: "nested class and other class ignored",
				src:  "class Other:\n    access_token_expire_minutes = 5\n\n    class Settings:\n        access_token_expire_minutes = 5\n\n\nclass Settings:\n    debug: bool = False\n",
				want: "class Other:\n    access_token_expire_minutes = 5\n\n    class Settings:\n        access_token_expire_minutes = 5\n\n\nclass Settings:\n    debug: bool = False\n    " + expireField + "\n",
			},
			class:       "Settings",
			field:       "access_token_expire_minutes",
			declaration: expireField,
		},
		{
			editCase: editCase{
				name: "methods after fields",
				src:  "class Settings(BaseSettings):\n    debug: bool = False\n\n    @property\n    def is_dev(self) -> bool:\n        x: int = 1\n        return self.debug\n",
				want: "class Settings(BaseSettings):\n    debug: bool = False\n    " + expireField + "\n\n    @property\n    def is_dev(self) -> bool:\n        x: int = 1\n        return self.debug\n",
			},
			class:       "Settings",
			field:       "access_token_expire_minutes",
			declaration: expireField,
		},
		{
			editCase: editCase{
				name: "CRLF",
				src:  crlf(configPy),
				want: crlf(configHead + "    jwt_secret_key: SecretStr = Field(\n        default=...,\n    )\n" + configTail),
			},
			class:       "Settings",
			field:       "jwt_secret_key",
			declaration: "jwt_secret_key: SecretStr = Field(\r\n    default=...,\r\n)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runEdit(t, func(src []byte) ([]byte, error) {
				return AddClassField(src, tt.class, tt.field, tt.declaration)
			}, tt.editCase)
		})
	}
}

func TestAddClassFieldErrors(t *testing.T) {
	tests := []struct {
		name        string
		src         string
		class       string
		field       string
		declaration string
		want        string
	}{
		{
			name:        "class missing",
			src:         configPy,
			class:       "AuthSettings",
			field:       "access_token_expire_minutes",
			declaration: expireField,
			want:        "class AuthSettings not found at the top level of the module; the settings fields go into it, so restore the class under that name",
		},
		{
			name:        "declaration assigns another name",
			src:         configPy,
			class:       "Settings",
			field:       "access_token_expire_minutes",
			declaration: "expire_minutes: int = 30",
			want:        `declaration "expire_minutes: int = 30" is not a single assignment to access_token_expire_minutes; pass a statement such as "access_token_expire_minutes: <type> = <default>"`,
		},
		{
			name:        "declaration with two statements",
			src:         configPy,
			class:       "Settings",
			field:       "debug",
			declaration: "debug: bool = False; x = 1",
			want:        `declaration "debug: bool = False; x = 1" is not a single assignment to debug; pass a statement such as "debug: <type> = <default>"`,
		},
		{
			name:        "invalid declaration",
			src:         configPy,
			class:       "Settings",
			field:       "debug",
			declaration: "debug: bool =",
			want:        `invalid declaration "debug: bool =": line 1, column 1: invalid Python syntax near "debug: bool ="`,
		},
		{
			name:        "invalid class name",
			src:         configPy,
			class:       "app.Settings",
			field:       "debug",
			declaration: "debug: bool = False",
			want:        `invalid class name "app.Settings": pass a Python identifier such as "Settings"`,
		},
		{
			name:        "invalid field name",
			src:         configPy,
			class:       "Settings",
			field:       "2fa",
			declaration: "debug: bool = False",
			want:        `invalid field name "2fa": pass a Python identifier such as "access_token_expire_minutes"`,
		},
		{
			name:        "invalid source",
			src:         "class Settings(BaseSettings):\n",
			class:       "Settings",
			field:       "debug",
			declaration: "debug: bool = False",
			want:        `the file has invalid syntax, fix it first: line 1, column 30: invalid Python syntax near "class Settings(BaseSettings):": expected an indented block`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runEditError(t, func(src []byte) ([]byte, error) {
				return AddClassField(src, tt.class, tt.field, tt.declaration)
			}, tt.src, tt.want)
		})
	}
}
