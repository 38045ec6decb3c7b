contract ChatRoom {
    Post(text string);
    Leave();
}
