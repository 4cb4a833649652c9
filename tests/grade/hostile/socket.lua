-- %%
-- hostile: opens a socket through a C library (Lua has no socket API)
print(pcall(package.loadlib, "libc.so.6", "socket"))
package.cpath = "/usr/lib/x86_64-linux-gnu/lua/5.4/?.so;" .. package.cpath
print(pcall(require, "socket"))
print(pcall(require, "posix"))
-- %%
local f = package.loadlib("/lib/x86_64-linux-gnu/libc.so.6", "*")
print(f)
