contract Chat {
    Send(text string, ) -> (bool);
    Ok();
}
