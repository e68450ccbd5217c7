package pyedit

import "testing"

const authImport = "from app.features.auth.router import router as auth_router"

func TestAddImport(t *testing.T) {
	tests := []struct {
		editCase
		stmt string
	}{
		{
			editCase: editCase{
				name: "after multi-line import",
				src:  mainPy,
				want: mainImports + authImport + "\n" + mainLifespan + mainApp + mainRoutes,
			},
			stmt: authImport,
		},
		{
			editCase: editCase{
				name: "surrounding whitespace trimmed",
				src:  mainPy,
				want: mainImports + authImport + "\n" + mainLifespan + mainApp + mainRoutes,
			},
			stmt: "\n  " + authImport + "\n",
		},
		{
			editCase: editCase{
				name: "identical import in other whitespace",
				src:  mainPy,
				want: mainPy,
			},
			stmt: "from app.core.config   import  settings",
		},
		{
			editCase: editCase{
				name: "name inside parenthesized import",
				src:  mainPy,
				want: mainPy,
			},
			stmt: "from app.db.session import init_db",
		},
		{
			editCase: editCase{
				name: "different alias is added",
				src:  mainPy,
				want: mainImports + "from app.core.config import settings as app_settings\n" + mainLifespan + mainApp + mainRoutes,
			},
			stmt: "from app.core.config import settings as app_settings",
		},
		{
			editCase: editCase{
				name: "parenthesized statement kept as written",
				src:  mainPy,
				want: mainImports + "from app.features.auth.deps import (\n    get_current_user,\n    require_admin,\n)\n" + mainLifespan + mainApp + mainRoutes,
			},
			stmt: "from app.features.auth.deps import (\n    get_current_user,\n    require_admin,\n)",
		},
		{
			editCase: editCase{
				name: "import in block is not top-level",
				src:  "import os\n\nif os.environ.get(\"DEBUG\"):\n    import pdb\n",
				want: "import os\nimport pdb\n\nif os.environ.get(\"DEBUG\"):\n    import pdb\n",
			},
			stmt: "import pdb",
		},
		{
			editCase: editCase{
				name: "plain import with alias",
				src:  "import os.path as osp, sys\n",
				want: "import os.path as osp, sys\n",
			},
			stmt: "import os.path as osp",
		},
		{
			editCase: editCase{
				name: "relative import",
				src:  "from . import deps\nfrom .models import User\n",
				want: "from . import deps\nfrom .models import User\nfrom .models import Item\n",
			},
			stmt: "from .models import Item",
		},
		{
			editCase: editCase{
				name: "same line as other statement and comment",
				src:  "import os; import sys  # system\nx = 1\n",
				want: "import os; import sys  # system\nimport json\nx = 1\n",
			},
			stmt: "import json",
		},
		{
			editCase: editCase{
				name: "last import without final newline",
				src:  "import os",
				want: "import os\nimport sys\n",
			},
			stmt: "import sys",
		},
		{
			editCase: editCase{
				name: "docstring then blank line then code",
				src:  "\"\"\"Routes.\"\"\"\n\nrouter = None\n",
				want: "\"\"\"Routes.\"\"\"\n\nfrom fastapi import APIRouter\n\nrouter = None\n",
			},
			stmt: "from fastapi import APIRouter",
		},
		{
			editCase: editCase{
				name: "docstring then code",
				src:  "\"\"\"Routes.\"\"\"\nrouter = None\n",
				want: "\"\"\"Routes.\"\"\"\n\nfrom fastapi import APIRouter\n\nrouter = None\n",
			},
			stmt: "from fastapi import APIRouter",
		},
		{
			editCase: editCase{
				name: "docstring only",
				src:  "\"\"\"Routes.\n\nMore text.\n\"\"\"",
				want: "\"\"\"Routes.\n\nMore text.\n\"\"\"\n\nfrom fastapi import APIRouter\n",
			},
			stmt: "from fastapi import APIRouter",
		},
		{
			editCase: editCase{
				name: "empty file",
				src:  "",
				want: "from fastapi import APIRouter\n",
			},
			stmt: "from fastapi import APIRouter",
		},
		{
			editCase: editCase{
				name: "code without imports",
				src:  "\n\nrouter = None\n",
				want: "\n\nfrom fastapi import APIRouter\n\nrouter = None\n",
			},
			stmt: "from fastapi import APIRouter",
		},
		{
			editCase: editCase{
				name: "header comment block",
				src:  "# Copyright 2025 Acme\n# SPDX-License-Identifier: MIT\n\nrouter = None\n",
				want: "# Copyright 2025 Acme\n# SPDX-License-Identifier: MIT\n\nfrom fastapi import APIRouter\n\nrouter = None\n",
			},
			stmt: "from fastapi import APIRouter",
		},
		{
			editCase: editCase{
				name: "shebang and coding above attached comment",
				src:  "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n# The router for /items.\nrouter = None\n",
				want: "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nfrom fastapi import APIRouter\n\n# The router for /items.\nrouter = None\n",
			},
			stmt: "from fastapi import APIRouter",
		},
		{
			editCase: editCase{
				name: "future import goes first",
				src:  mainPy,
				want: "\"\"\"Acme API entry point.\"\"\"\n\nfrom __future__ import annotations\n\n" + mainImports[len("\"\"\"Acme API entry point.\"\"\"\n\n"):] + mainLifespan + mainApp + mainRoutes,
			},
			stmt: "from __future__ import annotations",
		},
		{
			editCase: editCase{
				name: "after existing future import",
				src:  "from __future__ import annotations\n\nimport os\n",
				want: "from __future__ import annotations\nfrom __future__ import division\n\nimport os\n",
			},
			stmt: "from __future__ import division",
		},
		{
			editCase: editCase{
				name: "regular import after future import",
				src:  "\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\n\nx = 1\n",
				want: "\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\nimport os\n\nx = 1\n",
			},
			stmt: "import os",
		},
		{
			editCase: editCase{
				name: "CRLF",
				src:  crlf(mainPy),
				want: crlf(mainImports + "from app.features.auth.deps import (\n    get_current_user,\n)\n" + mainLifespan + mainApp + mainRoutes),
			},
			stmt: "from app.features.auth.deps import (\n    get_current_user,\n)",
		},
		{
			editCase: editCase{
				name: "trailing comment allowed in statement",
				src:  "import os\n",
				want: "import os\nimport app.models  # noqa: F401\n",
			},
			stmt: "import app.models  # noqa: F401",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runEdit(t, func(src []byte) ([]byte, error) { return AddImport(src, tt.stmt) }, tt.editCase)
		})
	}
}

func TestAddImportErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		stmt string
		want string
	}{
		{
			name: "not an import",
			src:  mainPy,
			stmt: "x = 1",
			want: `"x = 1" is not a single import statement; pass one statement such as "from app.core.config import settings"`,
		},
		{
			name: "two imports",
			src:  mainPy,
			stmt: "import os; import sys",
			want: `"import os; import sys" is not a single import statement; pass one statement such as "from app.core.config import settings"`,
		},
		{
			name: "empty statement",
			src:  mainPy,
			stmt: "  ",
			want: `"" is not a single import statement; pass one statement such as "from app.core.config import settings"`,
		},
		{
			name: "invalid import",
			src:  mainPy,
			stmt: "from app.core import",
			want: `invalid import statement "from app.core import": line 1, column 1: invalid Python syntax near "from app.core import"`,
		},
		{
			name: "indented continuation",
			src:  mainPy,
			stmt: "import os\n  import sys",
			want: `invalid import statement "import os\n  import sys": line 2, column 3: invalid Python syntax near "import sys": the indentation does not match the enclosing block`,
		},
		{
			name: "invalid source",
			src:  "import os\ndef broken(:\n    pass\n",
			stmt: "import sys",
			want: `the file has invalid syntax, fix it first: line 2, column 12: invalid Python syntax near ":": missing ")"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runEditError(t, func(src []byte) ([]byte, error) { return AddImport(src, tt.stmt) }, tt.src, tt.want)
		})
	}
}
