contract Chat {
    Send(text string) ->
