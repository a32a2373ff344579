-- luacheck's settings for awslua scripts: Lua 5.1 (gopher-lua) with the
-- aws module as a global the runtime provides.
std = "lua51"
read_globals = {"aws"}
-- Scripts' long help texts and error messages.
max_line_length = false
