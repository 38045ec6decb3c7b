import "common.gs"

contract Chat(common.Health) {
    Post(text string);
}
