enum ChatError(int32) { RoomNotFound(1), NotAMember(2) }
