using SdKit.Testing.Etcd;

namespace SdKit.Etcd.Tests.TestSupport;

/// <summary>Test classes sharing one plain single-member etcd (tests that never pause or kill it).</summary>
[CollectionDefinition(Name)]
public sealed class SingleMemberCollection : ICollectionFixture<EtcdSingleMemberFixture>
{
    public const string Name = "etcd single member";
}
