import CKSCommands

@main
struct CKSMain {
    static func main() async {
        await CKS.runMain()
    }
}
