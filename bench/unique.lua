-- wrk script: every request gets a URL of its own (&bench=THREAD-N, or
-- ?bench=THREAD-N on a path without a query), so that the server's reply
-- cache never answers it and each request does the full work. The server
-- ignores the unknown parameter.
local threads = 0

function setup(thread)
	threads = threads + 1
	thread:set("tid", threads)
end

local n = 0
local sep = nil

function request()
	if not sep then
		sep = wrk.path:find("?", 1, true) and "&" or "?"
	end
	n = n + 1
	return wrk.format(nil, wrk.path .. sep .. "bench=" .. tid .. "-" .. n)
end
