@testable import Console
import Testing

@Suite("Themes from assets/themes")
struct ThemeTests {
    @Test(arguments: Theme.names)
    func everyThemeLoadsAndStylesEveryRole(name: String) {
        let theme = Theme.named(name)
        #expect(theme.name == name, "assets/themes/\(name).json is compiled in and valid")
        #expect(Set(theme.roles.keys) == Set(StyleRole.allCases), "\(name) misses \(Set(StyleRole.allCases).subtracting(theme.roles.keys))")
    }

    @Test func noColorKeepsAttributesAndMakesSelectionReverse() {
        let resolver = StyleResolver(theme: Theme.named("dark"), colorCount: 0)
        let failed = resolver.resolve(Style(.failed))
        #expect(failed.foreground == -1 && failed.background == -1)
        #expect(failed.bold)
        #expect(resolver.resolve(Style(.normal, selected: true)).reverse)
    }

    @Test func twoFiftySixColoursFoldToTheBasicOnes() {
        let resolver = StyleResolver(theme: Theme.named("dark"), colorCount: 8)
        #expect(resolver.resolve(Style(.connected)).foreground == 2, "114 is a green")
        #expect(resolver.resolve(Style(.failed)).foreground == 1, "203 is a red")
        let selected = resolver.resolve(Style(.normal, selected: true))
        #expect(selected.background == 0 || selected.reverse)
        #expect(StyleResolver(theme: Theme.named("dark"), colorCount: 256).resolve(Style(.normal, selected: true)).background == 237)
    }

    @Test func defaultThemeUsesTheTerminalsOwnBackground() {
        let theme = Theme.named("default")
        #expect(theme.roles.values.allSatisfy { $0.bg == nil })
    }
}
